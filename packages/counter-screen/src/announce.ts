// The counter screen's `announce`: a chime and the amount spoken aloud when a payment is confirmed,
// as the sound boxes of Vietnamese shops do, so a busy counter hears it without looking.
import type { Locale } from '@motcua/core/runtime';

/** How long to wait for the voice list, which Chromium fills asynchronously (`voiceschanged`). */
const VOICES_TIMEOUT_MS = 1000;

/** The sentence spoken for `amount` VND received: "Đã nhận 50.000 đồng" / "Received 50,000 dong". */
export function announcementText(amount: number, locale: Locale): string {
  const figure = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US').format(amount);
  return locale === 'vi' ? `Đã nhận ${figure} đồng` : `Received ${figure} dong`;
}

/**
 * Plays the chime, then speaks the amount in `locale` with a voice of that language when the
 * machine has one (the chime alone otherwise: a Vietnamese sentence read by an English voice is
 * noise). Never throws: a browser that blocks audio until a user gesture, or has no speech
 * synthesis, only loses the sound (logged with console.debug).
 */
export async function announcePayment(amount: number, locale: Locale): Promise<void> {
  playChime();
  try {
    const synth = globalThis.speechSynthesis;
    if (!synth) return;
    const voice = findVoice(await voicesOf(synth), locale);
    if (!voice) return;
    const utterance = new SpeechSynthesisUtterance(announcementText(amount, locale));
    utterance.voice = voice;
    utterance.lang = voice.lang;
    synth.speak(utterance);
  } catch (error) {
    console.debug('motcua: the payment could not be spoken', error);
  }
}

/** Two rising sine tones (no audio file), about half a second. */
function playChime(): void {
  try {
    const Context = globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Context) return;
    const context = new Context();
    // Suspended until a user gesture on some browsers: ask, and let it stay silent if refused.
    if (context.state === 'suspended') context.resume().catch((error: unknown) => console.debug('motcua: audio is blocked until a user gesture', error));
    const start = context.currentTime;
    for (const [index, frequency] of [880, 1318.5].entries()) {
      const at = start + index * 0.18;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.35);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.36);
    }
    setTimeout(() => void context.close().catch(() => {}), 1000);
  } catch (error) {
    console.debug('motcua: the chime could not be played', error);
  }
}

function voicesOf(synth: SpeechSynthesis): Promise<SpeechSynthesisVoice[]> {
  const voices = synth.getVoices();
  if (voices.length) return Promise.resolve(voices);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      synth.removeEventListener('voiceschanged', done);
      resolve(synth.getVoices());
    };
    const timer = setTimeout(done, VOICES_TIMEOUT_MS);
    synth.addEventListener('voiceschanged', done);
  });
}

/** A voice of `locale`'s language (`vi-VN`, `vi_VN`, `en-GB`…), the local one first. */
function findVoice(voices: SpeechSynthesisVoice[], locale: Locale): SpeechSynthesisVoice | undefined {
  const matching = voices.filter((voice) => voice.lang.toLowerCase().replace('_', '-').split('-')[0] === locale);
  return matching.find((voice) => voice.localService) ?? matching[0];
}
