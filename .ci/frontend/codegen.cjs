// GraphQL Code Generator as a front end runs it, for .ci/codegen.sh: from CODEGEN_SCHEMA, either the committed SDL
// (a path) or the live endpoint (a URL, loaded by introspection with the API key in CRM_API_KEY), it writes into the
// directory CODEGEN_OUT the types of every schema type (schema.ts, the typescript plugin) and of the operations in
// .ci/frontend/*.graphql (graphql.ts, typescript-operations, which since its 6.0 declares the enums and inputs an
// operation uses itself, so the two go to separate files).
const path = require('node:path');

const schema = process.env.CODEGEN_SCHEMA;
const out = process.env.CODEGEN_OUT;
const tools = path.join(__dirname, '..', 'tools'); // where the plugins are installed, not the working directory

const config = {
  // every custom scalar mapped, none left as any (strictScalars fails on one the schema adds)
  strictScalars: true,
  scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown', BigDecimal: 'number', BigInteger: 'number' },
};

module.exports = {
  overwrite: true,
  pluginLoader: (name) => require(require.resolve(name, { paths: [tools] })),
  schema: schema.startsWith('http') ? { [schema]: { headers: { 'X-API-Key': process.env.CRM_API_KEY } } } : schema,
  generates: {
    [path.join(out, 'schema.ts')]: { plugins: ['typescript'], config: { ...config, enumsAsTypes: true } },
    [path.join(out, 'graphql.ts')]: {
      documents: path.join(__dirname, '*.graphql'),
      plugins: ['typescript-operations'],
      config,
    },
  },
};
