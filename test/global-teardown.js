// Stops the containers that test/global-setup.js started (testcontainers mode); nothing to do with local services.
// globalSetup and globalTeardown run in the same Jest parent process, so they share `globalThis`.
module.exports = async () => {
  const containers = globalThis.__ERBM_TEST_CONTAINERS__;
  if (!containers) return;
  globalThis.__ERBM_TEST_CONTAINERS__ = undefined;
  await Promise.all(containers.map((c) => c.stop()));
};
