// Container healthcheck without curl: the gateway's /api/health on PORT, or a service's /health on
// HEALTH_PORT. Exit 0 only on HTTP 200 ({"status":"ok"}: database and bus up).
const gateway = (process.argv[2] ?? process.env.SERVICE) === 'gateway';
const port = gateway ? (process.env.PORT ?? '3000') : (process.env.HEALTH_PORT ?? '8081');
const path = gateway ? '/api/health' : '/health';
try {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
