/** Build-time settings, parsed once. The API is same-origin unless VITE_API_URL says otherwise. */
function parseEnv(raw: ImportMetaEnv) {
  const apiUrl = (raw.VITE_API_URL ?? '').replace(/\/+$/, '');
  if (apiUrl && !/^https?:\/\//.test(apiUrl)) throw new Error(`VITE_API_URL must be an http(s) URL, got ${apiUrl}`);
  return {
    apiUrl,
    /** Refresh the access token this many seconds before it expires. */
    refreshLeadSeconds: 30,
    appName: 'WireGuard VPN',
  } as const;
}

export const env = parseEnv(import.meta.env);
