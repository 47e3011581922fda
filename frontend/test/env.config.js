// What @openedx/frontend-build gives @edx/frontend-platform as 'env.config' when an MFE has none.
export default {};
