from tienda.entrypoints.cli import main

main()
