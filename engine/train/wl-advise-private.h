/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-advise-private.h: what wl-advise.c and wl-advise-burst.c share. */
#pragma once

#include "models/wl-model.h"
#include "train/wl-advise.h"

G_BEGIN_DECLS

/* The training rows the bursts run on, cleaned and tokenised. */
typedef struct
{
  WlTokenList   *tokens;
  const guint32 *labels;
  gsize          n;
  guint          n_labels;
} WlAdviseSample;

/* Measures @config's model on its device, threads and precision in about
 * @seconds (the warm-up may take longer: it counts against the budget). */
gboolean wl_advise_measure (const WlConfig       *config,
                            const WlAdviseSample *sample,
                            double                seconds,
                            GCancellable         *cancellable,
                            WlAdviseMeasure      *measure,
                            GError              **error);

/* The epochs after which early stopping (the config's patience and
 * metric) ends training on four fifths of the sample, the rest validated,
 * in about @seconds on @config's device and threads; 0 when it did not
 * stop in that time (or cannot: no patience, too few rows). */
gboolean wl_advise_measure_epochs (const WlConfig       *config,
                                   const WlAdviseSample *sample,
                                   double                seconds,
                                   GCancellable         *cancellable,
                                   guint                *epochs,
                                   GError              **error);

/* wl-advise-summary.c: the recommendation (WlAdvice.summary) once picked. */
char    *wl_advise_summarize       (const WlAdvice       *a);

G_END_DECLS
