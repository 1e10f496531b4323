package io.headlesscrm.common.openapi;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Every list's {@code limit} query parameter is read as text (so a bad one is our problem+json, not the framework's
 * 404), but it is an integer from 1 to {@code crm.page.max-limit}: the document says so, so generated clients type it.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class PageLimitFilter implements OASFilter {

    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (parameter.getIn() == Parameter.In.QUERY && "limit".equals(parameter.getName())) {
            int max = ConfigProvider.getConfig().getOptionalValue("crm.page.max-limit", Integer.class).orElse(100);
            parameter.setSchema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                    .minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(max)));
        }
        return parameter;
    }
}
