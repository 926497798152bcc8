# nginx for the hub's scale-out tests: the fixture (tests/AiFactory.Testing/NginxProxy.cs) writes its own
# configuration per test (upstream = the hub replicas it started) and runs nginx in the foreground on a free
# 127.0.0.1 port inside a temp folder, so nothing system-wide is started here.
APT_PACKAGES+=(nginx)
