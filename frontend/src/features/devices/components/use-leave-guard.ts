import { useEffect } from 'react';
import { useBlocker, type Blocker } from 'react-router-dom';

/**
 * Guards a page holding something that is lost on leaving (the one-time private key): while `active`,
 * closing or reloading the tab gets the browser's own prompt, and a route change inside the app is held
 * by the returned blocker until the page proceeds or resets it.
 */
export function useLeaveGuard(active: boolean): Blocker {
  useEffect(() => {
    if (!active) return;
    const warn = (e: BeforeUnloadEvent) => {
      // Both spellings: preventDefault is the standard, returnValue what older engines still read.
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);
  // Only a move to another page loses the key; a search or hash change on this page does not.
  return useBlocker(({ currentLocation, nextLocation }) => active && currentLocation.pathname !== nextLocation.pathname);
}
