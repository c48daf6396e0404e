// The signed-in session and an SDK client for the project the URL names, for every screen.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Atelier } from '@atelier/sdk';
import type { Session } from './session.js';

export interface ConsoleContext {
  session: Session;
  /** The project the current URL names. */
  project: string;
  /** The SDK client whose default project is `project`. */
  api: Atelier;
  signOut: () => void;
}

export const Ctx = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const c = useContext(Ctx);
  if (!c) throw new Error('useConsole outside the signed-in shell');
  return c;
}
