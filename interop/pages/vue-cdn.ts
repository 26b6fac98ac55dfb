// Vue 3 page; the elements come from the CDN file's <script type="module"> in the page.
import { mount } from './vue-app.js';

mount();
