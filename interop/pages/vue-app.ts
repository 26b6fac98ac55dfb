// Vue 3 with the elements in a template compiled in the browser: `isCustomElement` tells Vue's
// compiler that qr-* tags are custom elements (not Vue components); `@qr-payment-paid` listens.
// `vue` is aliased to its full build (vue/dist/vue.esm-bundler.js, with the template compiler) when bundled.
import { createApp, ref } from 'vue';
import { config, record } from './record.js';

export function mount(): void {
  const app = createApp({
    setup() {
      const paid = ref(false);
      const onPaid = (event: Event) => {
        record('vue', event);
        paid.value = true;
      };
      return { config, paid, onPaid, record };
    },
    template: `<main :data-paid="paid ? 'yes' : 'no'">
      <qr-payment id="static" :bank="config.static.bank" :account="config.static.account" :account-name="config.static.accountName"
        :amount="config.static.amount" :purpose="config.static.purpose"></qr-payment>
      <qr-payment id="live" :src="config.payment" :poll-max-ms="2000"
        @qr-payment-status="record('vue', $event)" @qr-payment-paid="onPaid"></qr-payment>
      <qr-survey id="survey" endpoint="/api/surveys" counter="C1" :dossier="config.dossier" :token="'t-' + config.dossier"
        @qr-survey-submit="record('vue', $event)"></qr-survey>
    </main>`,
  });
  app.config.compilerOptions.isCustomElement = (tag: string) => tag.startsWith('qr-');
  app.mount('#app');
}
