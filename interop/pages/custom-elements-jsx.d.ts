// React 19 renders unknown tags as custom elements; TypeScript only needs to know the tags exist.
// (Typed props for React come with @motcua/react; this page proves the untyped, wrapper-free path.)
import 'react';

type CustomElementProps = { id?: string; ref?: unknown; children?: unknown } & Record<string, unknown>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'qr-payment': CustomElementProps;
      'qr-survey': CustomElementProps;
    }
  }
}
