// retort-workbench: the desktop window (started by `retort` or directly).
#include "workbench.h"

int main(int argc, char *argv[])
{
    return retort::ui::runWorkbench(argc, argv);
}
