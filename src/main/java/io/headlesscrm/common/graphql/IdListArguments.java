package io.headlesscrm.common.graphql;

import io.smallrye.graphql.schema.model.Argument;
import io.smallrye.graphql.schema.model.Operation;
import io.smallrye.graphql.schema.model.Scalars;
import io.smallrye.graphql.spi.EventingService;

/**
 * Lets an {@code @Id List<String>} argument (such as {@code nodes(ids: [ID!]!)}) be read. SmallRye GraphQL 2.15
 * declares it as a list of ID but records the list class as the ID's Java type, so reading the values fails with
 * "Unknown Scalar Type [java.util.List]"; this gives the ID back its element type, String, before the schema is
 * built. On when {@code crm.graphql.id-list-arguments} is true (SmallRye's switch for such services).
 */
public class IdListArguments implements EventingService {

    private static final String ID = "ID";
    private static final String STRING = String.class.getName();

    @Override
    public String getConfigKey() {
        return "crm.graphql.id-list-arguments";
    }

    @Override
    public Operation createOperation(Operation operation) {
        if (operation.hasArguments()) {
            for (Argument argument : operation.getArguments()) {
                if (argument.hasWrapper() && ID.equals(argument.getReference().getName())
                        && !STRING.equals(argument.getReference().getClassName())) {
                    argument.setReference(Scalars.getIDScalar(STRING));
                }
            }
        }
        return operation;
    }
}
