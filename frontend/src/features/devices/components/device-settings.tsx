import type { ConfigView } from '@vpn/contracts';
import { useState, type FormEvent } from 'react';
import { Button, ErrorMessage, Input, Select } from '@/components/ui';
import { useMutation } from '@/lib/query';
import { updateConfig, type ConfigPatch } from '../api/update-config';

const PRESETS = {
  full: ['0.0.0.0/0', '::/0'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
} as const;
type Preset = keyof typeof PRESETS | 'custom';

function presetOf(allowedIps: readonly string[]): Preset {
  for (const [name, ips] of Object.entries(PRESETS) as Array<[keyof typeof PRESETS, readonly string[]]>) {
    if (ips.length === allowedIps.length && ips.every((ip, i) => ip === allowedIps[i])) return name;
  }
  return 'custom';
}

const list = (text: string) => text.split(/[\s,]+/).filter((s) => s.length > 0);

/** The device's name and what its conf renders: routing (presets or custom), DNS, MTU and keepalive. The server checks every value. */
export function DeviceSettings({ config, onSaved }: { config: ConfigView; onSaved: (c: ConfigView) => void }) {
  const [name, setName] = useState(config.name);
  const [preset, setPreset] = useState<Preset>(presetOf(config.allowedIps));
  const [custom, setCustom] = useState(config.allowedIps.join(', '));
  const [dns, setDns] = useState((config.dns ?? []).join(', '));
  const [mtu, setMtu] = useState(config.mtu === null ? '' : String(config.mtu));
  const [keepalive, setKeepalive] = useState(config.persistentKeepalive === null ? '' : String(config.persistentKeepalive));
  const save = useMutation(updateConfig);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const patch: ConfigPatch = {
      name: name.trim(),
      allowedIps: preset === 'custom' ? list(custom) : [...PRESETS[preset]],
      dns: list(dns).length > 0 ? list(dns) : null,
      mtu: mtu.trim() === '' ? null : Number(mtu),
      persistentKeepalive: keepalive.trim() === '' ? null : Number(keepalive),
    };
    try {
      onSaved(await save.mutate({ id: config.id, patch }));
    } catch {
      // shown below
    }
  };

  return (
    <form className="space-y-4" onSubmit={(e) => void onSubmit(e)} aria-label="Device settings">
      <Input label="Name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />
      <Select label="Route through the VPN" value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
        <option value="full">Everything (full tunnel)</option>
        <option value="private">Private networks only</option>
        <option value="custom">Custom networks</option>
      </Select>
      {preset === 'custom' ? (
        <Input label="Networks" hint="CIDRs, comma-separated, e.g. 10.0.0.0/8, fd00::/8" value={custom} onChange={(e) => setCustom(e.target.value)} />
      ) : null}
      <Input label="DNS servers" hint="Empty: the server's DNS" value={dns} onChange={(e) => setDns(e.target.value)} placeholder="1.1.1.1, 9.9.9.9" />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input label="MTU" hint="1280–1500; empty: automatic" inputMode="numeric" value={mtu} onChange={(e) => setMtu(e.target.value)} />
        <Input label="Keepalive (seconds)" hint="0–65535; empty: off" inputMode="numeric" value={keepalive} onChange={(e) => setKeepalive(e.target.value)} />
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">These go into the device's .conf file: re-key the device afterwards to download a new one.</p>
      <ErrorMessage error={save.error} />
      <Button type="submit" loading={save.isPending}>
        Save settings
      </Button>
    </form>
  );
}
