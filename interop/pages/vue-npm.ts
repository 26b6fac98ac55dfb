// Vue 3 page; the elements come from the npm packages, bundled with the app.
import '@motcua/payment-widget';
import '@motcua/survey-widget';
import { mount } from './vue-app.js';

mount();
