/* test-model-page.c: being written. */
#include "ui-test-util.h"

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  return g_test_run ();
}
