// React 19 page; the elements come from the CDN file's <script type="module"> in the page.
import { mount } from './react-native-app.js';

mount();
