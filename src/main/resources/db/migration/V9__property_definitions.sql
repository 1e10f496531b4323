-- Declared properties: custom customer attributes and event properties with a type. Undeclared ones are still
-- stored; declared ones are validated on write, and segment conditions compare them by their type.
-- event_type is '' for customer attributes and for event properties that apply to every event type.
CREATE TABLE property_definition (
    id           uuid         PRIMARY KEY,
    scope        varchar(16)  NOT NULL CHECK (scope IN ('CUSTOMER', 'EVENT')),
    event_type   varchar(64)  NOT NULL DEFAULT '' CHECK (scope = 'EVENT' OR event_type = ''),
    name         varchar(64)  NOT NULL,
    type         varchar(16)  NOT NULL CHECK (type IN ('STRING', 'NUMBER', 'BOOLEAN', 'TIMESTAMP', 'ENUM')),
    enum_values  varchar(100)[] CHECK ((type = 'ENUM') = (enum_values IS NOT NULL)),
    description  varchar(500),
    created_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL,
    version      bigint       NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX property_definition_key ON property_definition (scope, event_type, name);
