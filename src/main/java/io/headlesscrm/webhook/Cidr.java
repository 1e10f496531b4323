package io.headlesscrm.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** An IPv4 or IPv6 address range such as {@code 127.0.0.0/8}. */
record Cidr(byte[] network, int prefix) {

    static Cidr parse(String cidr) {
        String[] parts = cidr.trim().split("/");
        if (parts.length > 2 || !parts[0].matches("[0-9a-fA-F:.]+")) { // a literal address: never a DNS lookup
            throw new IllegalArgumentException("Not a CIDR: " + cidr);
        }
        try {
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8;
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("Not a CIDR: " + cidr);
            }
            return new Cidr(network, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("Not a CIDR: " + cidr, e);
        }
    }

    static List<Cidr> parseAll(List<String> cidrs) {
        return cidrs.stream().filter(c -> !c.isBlank()).map(Cidr::parse).toList();
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
