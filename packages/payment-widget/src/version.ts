/** The version of @motcua/payment-widget, stamped on its registered classes (two copies on one page warn, never crash). */
export const VERSION = '0.1.0';
