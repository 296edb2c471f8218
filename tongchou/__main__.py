from tongchou.cli import main

main()
