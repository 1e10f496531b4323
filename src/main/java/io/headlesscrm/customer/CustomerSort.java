package io.headlesscrm.customer;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.eclipse.microprofile.graphql.Enum;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeyType;
import io.headlesscrm.common.paging.Keyset;

/** The orders a customer list can be read in; each is a keyset over (sort key, id). */
@Enum("CustomerOrder")
public enum CustomerSort {
    CREATED_AT(new Keyset("createdAt", KeyType.INSTANT, "c.createdAt", "c.id", false)),
    CREATED_AT_DESC(new Keyset("-createdAt", KeyType.INSTANT, "c.createdAt", "c.id", true)),
    NAME(new Keyset("name", KeyType.STRING, "c.name", "c.id", false)),
    NAME_DESC(new Keyset("-name", KeyType.STRING, "c.name", "c.id", true));

    private final Keyset keyset;

    CustomerSort(Keyset keyset) {
        this.keyset = keyset;
    }

    public String param() {
        return keyset.sort();
    }

    public Keyset keyset() {
        return keyset;
    }

    public static CustomerSort fromParam(String value) {
        if (value == null || value.isBlank()) {
            return CREATED_AT;
        }
        return Arrays.stream(values()).filter(s -> s.param().equals(value)).findFirst()
                .orElseThrow(() -> ProblemException.badRequest("invalid-parameter", "sort", "sort must be one of "
                        + Arrays.stream(values()).map(CustomerSort::param).collect(Collectors.joining(", "))));
    }

    Cursor cursorOf(CustomerView c) {
        return keyset.cursor(this == NAME || this == NAME_DESC ? c.name() : c.createdAt(), c.id());
    }
}
