import type { ReactNode } from 'react';
import { SessionProvider } from '@/lib/auth';

export function AppProvider({ children }: { children: ReactNode }) {
  return <SessionProvider>{children}</SessionProvider>;
}
