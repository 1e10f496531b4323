package io.headlesscrm.dataio;

/** The file formats imports read and exports write. */
public enum FileFormat {
    CSV("text/csv", "csv"), NDJSON("application/x-ndjson", "ndjson");

    public final String mediaType;
    final String extension;

    FileFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }
}
