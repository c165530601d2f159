// GraphQL Code Generator's client preset with persisted documents, as an application would run
// it: the committed schema, the operations in documents/, and an output folder of the caller's
// choosing (CODEGEN_OUT, default ./out/), where it writes persisted-documents.json (SHA-256 ->
// document text), the manifest the gateway's trusted-documents mode takes.
//   CODEGEN_OUT=/tmp/x/ node_modules/.bin/graphql-codegen --config codegen.js
const path = require('node:path');

const out = process.env.CODEGEN_OUT || path.join(__dirname, 'out');

module.exports = {
  schema: path.join(__dirname, '..', '..', '..', 'schema.graphql'),
  documents: [path.join(__dirname, 'documents', '*.graphql')],
  silent: true,
  generates: {
    [out.endsWith('/') ? out : `${out}/`]: {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
    },
  },
};
