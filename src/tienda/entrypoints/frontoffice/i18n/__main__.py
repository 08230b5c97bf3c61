import sys

from tienda.entrypoints.frontoffice.i18n import compile_mo, update

if sys.argv[1:] == ["update"]:
    print("\n".join(update()) or "nothing new")
elif sys.argv[1:] == ["compile"]:
    compile_mo()
else:
    sys.exit("usage: python -m tienda.entrypoints.frontoffice.i18n update|compile")
