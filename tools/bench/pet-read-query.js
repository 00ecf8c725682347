// The SQL pet-service runs to load one pet by id with its category and tags: read from
// PetsRepository.findById in apps/pet-service/src/pets/pets.repository.ts with the TypeScript
// parser, so the baseline runs exactly what the service runs and follows it when it changes.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const { ROOT } = require('../stack/instances');

const REPOSITORY = path.join(ROOT, 'apps', 'pet-service', 'src', 'pets', 'pets.repository.ts');
const METHOD = 'findById';

/** Evaluates a string or template literal whose substitutions name module-level string constants. */
function evaluate(node, constants) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return node.templateSpans.reduce((text, span) => text + evaluate(span.expression, constants) + span.literal.text, node.head.text);
  }
  if (ts.isIdentifier(node) && constants.has(node.text)) return constants.get(node.text);
  throw new Error(`cannot evaluate ${node.getText()} statically`);
}

function petReadQuery() {
  const source = ts.createSourceFile(REPOSITORY, fs.readFileSync(REPOSITORY, 'utf8'), ts.ScriptTarget.Latest, true);
  const constants = new Map();
  let query;
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      try {
        constants.set(node.name.text, evaluate(node.initializer, constants));
      } catch {
        // not a string constant
      }
    }
    if (ts.isMethodDeclaration(node) && node.name.getText() === METHOD) {
      // The one SQL string the method passes on: the first call argument that is a string.
      node.forEachChild(function find(child) {
        if (query === undefined && ts.isCallExpression(child)) {
          for (const argument of child.arguments) {
            if (query !== undefined) break;
            try {
              query = evaluate(argument, constants);
            } catch {
              // not the SQL argument
            }
          }
        }
        if (query === undefined) child.forEachChild(find);
      });
    }
    node.forEachChild(visit);
  };
  visit(source);
  if (!query || !/\$1/.test(query)) {
    throw new Error(`no SQL found in ${METHOD} of ${path.relative(ROOT, REPOSITORY)}: update tools/bench/pet-read-query.js`);
  }
  return query.replace(/\s+/g, ' ').trim();
}

module.exports = { petReadQuery };
