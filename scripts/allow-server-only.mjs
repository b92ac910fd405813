// For Node processes outside Next (unit tests, `npm run db:prune`, the benchmark): lets modules
// marked `import "server-only"` load. Next resolves that package to an empty module for server
// code and refuses it in browser bundles; plain Node would take its throwing default. Use with
// `node --import ./scripts/allow-server-only.mjs` (tsx compiles to CommonJS, so both of Node's
// resolvers are taught).
import Module, { createRequire, register } from "node:module";
import path from "node:path";

// The package's default entry is index.js; empty.js sits beside it.
const empty = path.join(path.dirname(createRequire(import.meta.url).resolve("server-only")), "empty.js");

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "server-only" ? empty : resolveFilename.call(this, request, ...rest);
};

const hooks = `
export async function resolve(specifier, context, next) {
  return specifier === "server-only" ? { url: ${JSON.stringify(`file://${empty}`)}, shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
