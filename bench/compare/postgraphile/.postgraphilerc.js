// Read by PostGraphile 4's CLI from its working directory: filters through relations, for the
// mix's search in bench/compare (a spacecraft's name or its configuration's).
module.exports = {
  options: {
    graphileBuildOptions: { connectionFilterRelations: true },
  },
};
