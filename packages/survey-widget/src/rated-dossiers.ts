// "Quý Ông/Bà được đánh giá 01 lần": the dossiers this device has already rated, so a kiosk refuses
// a second rating even after a reload. Only the service's own data (survey, counter, dossier code).
const STORAGE_KEY = 'motcua-survey:rated';
const LIMIT = 500;

function read(): string[] {
  try {
    const value: unknown = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
  } catch {
    return [];
  }
}

const memory = new Set<string>();
const keyOf = (surveyId: string, counter: string, dossier: string) => JSON.stringify([surveyId, counter, dossier]);

/** Whether this dossier was already rated on this device. */
export function isDossierRated(surveyId: string, counter: string, dossier: string): boolean {
  const key = keyOf(surveyId, counter, dossier);
  return memory.has(key) || read().includes(key);
}

/** Remembers that this dossier has been rated (the newest {@link LIMIT} are kept). */
export function markDossierRated(surveyId: string, counter: string, dossier: string): void {
  const key = keyOf(surveyId, counter, dossier);
  memory.add(key);
  try {
    const entries = read().filter((entry) => entry !== key);
    entries.push(key);
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(entries.slice(-LIMIT)));
  } catch {
    // Storage blocked or full: the in-memory record still refuses a repeat on this page.
  }
}

/** Forgets one dossier's rating, when it could not be stored after all (it may be rated again). */
export function forgetDossierRated(surveyId: string, counter: string, dossier: string): void {
  const key = keyOf(surveyId, counter, dossier);
  memory.delete(key);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(read().filter((entry) => entry !== key)));
  } catch {
    // Storage blocked: the in-memory record is already gone.
  }
}

/** Forgets every rated dossier (for tests and for a kiosk being reassigned). */
export function clearRatedDossiers(): void {
  memory.clear();
  try {
    globalThis.localStorage?.removeItem(STORAGE_KEY);
  } catch {
    // nothing to forget
  }
}
