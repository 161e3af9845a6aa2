// Node ≥ 20.19 lets CommonJS packages require() ESM-only ones (fastify's light-my-request needs
// cookie@1, for example); Jest's module loader only learns that on Node 24.9. Until then, Jest
// compiles those few ESM-only packages to CommonJS when, and only when, they are require()d.
module.exports = (api) => {
  const loadedAsEsm = api.caller((caller) => Boolean(caller && caller.supportsStaticESM));
  return { plugins: loadedAsEsm ? [] : ['@babel/plugin-transform-modules-commonjs'] };
};
