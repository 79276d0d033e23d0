/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-number-row.h: a settings row with a spin button and a default value.
 *
 * The row is "automatic" while the setting is left at its default: the spin
 * button then shows the default, and the subtitle says what it is.  Once
 * the user changes the number, a button beside it brings the default back.
 * ::changed tells about the user's changes only, never about the calls
 * below, so a page can refresh its rows without hearing itself.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WL_TYPE_NUMBER_ROW (wl_number_row_get_type ())
G_DECLARE_FINAL_TYPE (WlNumberRow, wl_number_row, WL, NUMBER_ROW, AdwActionRow)

GtkWidget     *wl_number_row_new             (void);

GtkSpinButton *wl_number_row_get_spin_button (WlNumberRow *self);
double         wl_number_row_get_value       (WlNumberRow *self);
/* Shows @value; the row is no longer automatic. */
void           wl_number_row_set_value       (WlNumberRow *self,
                                              double       value);
gboolean       wl_number_row_get_automatic   (WlNumberRow *self);
/* Back to the default value (TRUE), or keeps the value shown (FALSE). */
void           wl_number_row_set_automatic   (WlNumberRow *self,
                                              gboolean     automatic);
/* The value an automatic row shows; @text, when not NULL, is what the
 * subtitle calls it ("sized from the data"). */
void           wl_number_row_set_default     (WlNumberRow *self,
                                              double       value,
                                              const char  *text);

G_END_DECLS
