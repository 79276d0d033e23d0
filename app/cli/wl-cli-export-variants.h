/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-export-variants.h: export's int8, pruning and deployment-card
 * options (--quantize, --prune, --fine-tune-epochs with --train, --compare
 * with --test). */
#pragma once

#include "train/wl-classifier.h"

G_BEGIN_DECLS

typedef struct
{
  char     *quantize;   /* "int8" or NULL */
  double    prune;      /* sparsity; 0: none */
  gboolean  compare;
  char     *test;       /* labelled rows for --compare */
  int       fine_tune_epochs;
  char     *train;      /* labelled rows for --fine-tune-epochs */
  WlDataset *train_rows;/* loaded by apply */
} WlCliExportVariants;

GOptionGroup *wl_cli_export_variants_group  (WlCliExportVariants  *options);
void          wl_cli_export_variants_clear  (WlCliExportVariants  *options);
/* The classifier to write: @classifier itself, or its pruned and/or int8
 * variant.  Fails on a setting out of range or a model that cannot be
 * made so: *@usage_error is then TRUE). */
WlClassifier *wl_cli_export_variants_apply  (WlCliExportVariants  *options,
                                             WlClassifier         *classifier,
                                             gboolean             *usage_error,
                                             GError              **error);
/* With --compare: computes and prints the deployment card of
 * @classifier on --test (JSON with @json).  Returns an exit status. */
int           wl_cli_export_variants_compare (WlCliExportVariants *options,
                                              const WlClassifier  *classifier,
                                              gboolean             json);

G_END_DECLS
