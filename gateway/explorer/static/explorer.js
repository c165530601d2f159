// Boots GraphiQL on the element #graphiql. Kept out of the page so that the page needs no inline
// script: the Content-Security-Policy allows scripts from our own origin only.
(function () {
  "use strict";

  var root = document.getElementById("graphiql");
  var endpoint = root.getAttribute("data-endpoint");
  var exampleQuery = root.getAttribute("data-example-query");

  var fetcher = GraphiQL.createFetcher({ url: endpoint });

  ReactDOM.createRoot(root).render(
    React.createElement(
      GraphiQL,
      {
        fetcher: fetcher,
        defaultTabs: [{ query: exampleQuery }],
        defaultQuery: exampleQuery,
        schemaDescription: true,
        visiblePlugin: "Documentation Explorer",
        defaultEditorToolsVisibility: false,
        storage: GraphiQL.createLocalStorage({ namespace: "spacecraft-gateway" }),
      },
      React.createElement(GraphiQL.Logo, null, "Spacecraft gateway")
    )
  );
})();
