"""Live widgets. Each module pairs a pure compute function (tested headless,
benchmarked) with a thin ipywidgets + ipympl view that updates artists in place."""
