# nginx for the hub's scale-out tests: the fixture (tests/AiFactory.Testing/NginxProxy.cs) writes its own
# configuration per test (upstream = the hub replicas it started) and runs nginx in the foreground on a free
# 127.0.0.1 port inside a temp folder, so nothing system-wide is started here (the Debian package's own nginx
# service is not used). AIFACTORY_TEST_NGINX_BIN tells the fixture which binary to run.
APT_PACKAGES+=(nginx)
export AIFACTORY_TEST_NGINX_BIN="${AIFACTORY_TEST_NGINX_BIN:-/usr/sbin/nginx}"
