/* A negative control for tests/sanitizers/tsan.supp: one thread of ours lays out one word with
 * pango and cairo. ThreadSanitizer reports the same races as in the PDF report (fontconfig's
 * strings and its mmapped cache, read through strcmp, strlen and g_str_has_suffix), between this
 * thread and the threads pango starts itself ("[pango] FcInit", "[pango] FcFontSetMatch").
 *
 *   gcc -fsanitize=thread -g pango_one_thread.c $(pkg-config --cflags --libs pangocairo) && ./a.out
 */
#include <pango/pangocairo.h>

int main(void)
{
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 100, 100);
    cairo_t* cr = cairo_create(surface);
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_from_string("Sans 12");
    pango_layout_set_font_description(layout, font);
    pango_layout_set_text(layout, "Hello", -1);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(font);
    g_object_unref(layout);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return 0;
}
