import { startApp } from './app/app';
import './index.css';

// Evaluating the bundle is one task; starting the app in the next keeps each of them short, so
// the page answers input in between.
setTimeout(() => startApp(document.getElementById('root')!));
