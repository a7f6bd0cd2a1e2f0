"""The labelled evaluation set: document specs, labels, build script and scorer."""
