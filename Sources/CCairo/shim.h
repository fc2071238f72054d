// CCairo: Cairo with its image (PNG), PDF and SVG surfaces.
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
