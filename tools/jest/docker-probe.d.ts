// Types of docker-probe.js, for its spec.
export function dockerReachable(timeoutMs?: number): Promise<boolean>;
