// React 19 page; the elements come from the npm packages, bundled with the app.
import '@motcua/payment-widget';
import '@motcua/survey-widget';
import { mount } from './react-native-app.js';

mount();
