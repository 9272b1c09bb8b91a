import { CheckCircle2, Download, ShieldAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, buttonClasses, Card, CardBody, Dialog, Notice, Skeleton } from '@/components/ui';
import { paths } from '@/config/paths';
import { confFileName } from '@vpn/wireguard';
import type { CreatedDevice } from '../api/create-config';
import { useLeaveGuard } from './use-leave-guard';

/** The file's name is wg-quick's interface name: the same rule as the API's download (confFileName). */
function downloadConf(name: string, conf: string): void {
  const url = URL.createObjectURL(new Blob([conf], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = confFileName(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ConfQrCode({ conf }: { conf: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    // qrcode is loaded only here, so it does not weigh on the first page load.
    import('qrcode')
      .then((QR) => QR.toDataURL(conf, { errorCorrectionLevel: 'M', margin: 2, width: 512 }))
      .then((url) => live && setSrc(url))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [conf]);
  return (
    <div className="size-64 shrink-0 overflow-hidden rounded-lg bg-white p-2 ring-1 ring-slate-200 dark:ring-slate-700">
      {src ? (
        <img src={src} alt="QR code of the WireGuard configuration" className="size-full" data-testid="conf-qr" />
      ) : failed ? (
        <p className="p-4 text-sm text-red-700">The QR code could not be drawn. Use the download instead.</p>
      ) : (
        <Skeleton className="size-full" />
      )}
    </div>
  );
}

/** Shown once, right after creation: the only moment the private key exists. */
export function DeviceCreated({ device }: { device: CreatedDevice }) {
  const [downloaded, setDownloaded] = useState(false);
  // Saved = downloaded, or the person says the key is kept (a scanned QR code leaves no trace here).
  const [saved, setSaved] = useState(false);
  const blocker = useLeaveGuard(!downloaded && !saved);
  return (
    <Card>
      <CardBody className="space-y-5">
        <div className="flex items-start gap-3">
          <CheckCircle2 className="mt-0.5 size-6 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden="true" />
          <div>
            <h2 className="text-lg font-semibold">“{device.config.name}” is ready</h2>
            <p className="text-sm text-slate-500 dark:text-slate-400">
              {device.config.serverName} · <span className="font-mono">{device.config.address}</span>
            </p>
          </div>
        </div>
        <Notice tone="warning">
          <span className="flex items-start gap-2" role="alert">
            <ShieldAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>
              <strong>This is the only time the private key is shown.</strong> It was made in this browser and was never sent to us. Download the file or scan the QR code now — once you leave this page it cannot be recovered, and you would have to add the device again.
            </span>
          </span>
        </Notice>
        <div className="flex flex-col items-center gap-6 sm:flex-row sm:items-start">
          <ConfQrCode conf={device.conf} />
          {/* On a phone the download comes first: that phone cannot scan its own screen. */}
          <div className="order-first flex w-full flex-col gap-3 text-sm sm:order-none">
            <p>
              <strong>Phone:</strong> open the WireGuard app, tap <em>+</em>, choose <em>Scan from QR code</em>.
            </p>
            <p>
              <strong>Computer:</strong> download the file and import it in the WireGuard app (or <code className="font-mono">wg-quick up</code>).
            </p>
            <div className="order-first flex flex-col gap-3 sm:order-none sm:items-start">
              <Button
                onClick={() => {
                  downloadConf(device.config.name, device.conf);
                  setDownloaded(true);
                }}
                icon={<Download className="size-4" aria-hidden="true" />}
              >
                Download .conf
              </Button>
              {downloaded ? (
                <p className="text-emerald-700 dark:text-emerald-400" aria-live="polite">
                  Saved as {confFileName(device.config.name)}
                </p>
              ) : null}
            </div>
          </div>
        </div>
        <div className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
          {!downloaded && !saved ? (
            <Button variant="ghost" onClick={() => setSaved(true)}>
              I scanned the QR code
            </Button>
          ) : null}
          <Link to={paths.devices} className={buttonClasses('secondary')}>
            Done
          </Link>
        </div>
      </CardBody>
      <Dialog
        open={blocker.state === 'blocked'}
        onClose={() => {
          if (blocker.state === 'blocked') blocker.reset();
        }}
        title="Leave without the private key?"
        description={
          <>
            The configuration of “{device.config.name}” has not been downloaded. Once you leave, its private key is gone for good and the device
            cannot connect until it gets a new key.
          </>
        }
        footer={
          <>
            <Button variant="secondary" onClick={() => blocker.reset?.()}>
              Stay
            </Button>
            <Button variant="danger" onClick={() => blocker.proceed?.()}>
              Leave without saving
            </Button>
          </>
        }
      />
    </Card>
  );
}
