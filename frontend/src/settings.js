// The entry the authoring MFE loads for the course app's settings (see ../Settings.jsx).
export { default } from './components/CreditsCourseAppSettings';
