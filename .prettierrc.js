module.exports = {
  // Prettier configuration provided by Grafana scaffolding
  ...require('./.config/.prettierrc.js'),
  // The project's width: long lines are fine.
  printWidth: 160,
};
