// Generates src/gql/: the schema's types and one typed document node per
// operation in examples/, so a call's variables and answer are checked by
// the compiler. CI regenerates it and fails when the checked-in copy differs.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['../examples/*.graphql'],
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string' },
      },
    },
  },
  ignoreNoDocuments: false,
  // `.js` on relative imports, as Node's ES modules require.
  emitLegacyCommonJSImports: false,
};

export default config;
