// The counter page's printed slip (<qr-payment-slip>, a snapshot: it opens no event stream). The
// slip holds the payment as the portal backend created it, without touching the network; the Print
// button reads the payment once more (one GET) so that the paper shows it as it is now (an
// underpaid payment's slip asks for the rest), then prints.
const slip = () => document.getElementById('print-slip');

/** Shows `payment` on the hidden slip; `description` says what the fee is for, in Vietnamese. */
export function setSlipPayment(payment, description) {
  const element = slip();
  element.src = '';
  element.description = description ?? '';
  element.payments = [payment];
}

/** Re-reads `payment` (one GET) and opens the browser's print dialog with the slip alone. */
export async function printSlip(payment) {
  const element = slip();
  const src = `/api/payments/${encodeURIComponent(payment.id)}`;
  if (element.src === src) await element.refresh();
  else {
    element.src = src;
    await element.updateComplete;
  }
  window.print();
}

export function clearSlip() {
  const element = slip();
  element.src = '';
  element.payments = [];
}
