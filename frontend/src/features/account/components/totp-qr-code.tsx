import { useEffect, useState } from 'react';
import { Skeleton } from '@/components/ui';

/** The otpauth:// URI as a QR code, drawn in the browser (qrcode is loaded only here, as for device configs). */
export function TotpQrCode({ otpauthUrl }: { otpauthUrl: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    import('qrcode')
      .then((QR) => QR.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 2, width: 320 }))
      .then((url) => !cancelled && setSrc(url), () => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [otpauthUrl]);
  if (failed) return <p className="text-sm text-red-700">The QR code could not be drawn. Type the key below into your app instead.</p>;
  return (
    <div className="size-48 overflow-hidden rounded-lg border border-slate-200 bg-white dark:border-slate-700">
      {src ? <img src={src} alt="QR code to add this account to an authenticator app" className="size-full" data-testid="totp-qr" /> : <Skeleton className="size-full" />}
    </div>
  );
}
