from automation.cli import main

main()
