// Is a Docker engine answering? testcontainers' own runtime detection (DOCKER_HOST, ~/.testcontainers
// .properties, /var/run/docker.sock, rootless sockets; each pinged), bounded so a host that never
// answers cannot stall the test run.

/** Resolves true when an engine answered /_ping within timeoutMs, false otherwise; never throws. */
async function dockerReachable(timeoutMs = 2_500) {
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  const probe = (async () => {
    try {
      const { getContainerRuntimeClient } = require('testcontainers');
      await getContainerRuntimeClient();
      return true;
    } catch {
      return false;
    }
  })();
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

module.exports = { dockerReachable };
