"""A stand-in for dask-labextension's server extension, plus the one jupyter-server-proxy route the extension needs.

The simulator's JupyterHub loads this module into every single-user server it spawns (sim/src/hub.ts). Neither
dask-labextension nor jupyter-server-proxy is packaged by Debian, so this module answers their REST routes the way
they do, backed by real Dask clusters from Debian's python3-distributed:

- ``GET/PUT <base>/dask/clusters`` and ``GET/PATCH/DELETE <base>/dask/clusters/<id>``, with the bodies and status codes
  of dask_labextension/clusterhandler.py and the cluster model of manager.py ``make_cluster_model``
  (servicex-facts.md section 9.2, last item);
- ``GET <base>/proxy/<port>/<path>``, which forwards to a dashboard on 127.0.0.1 as jupyter-server-proxy does
  (servicex-facts.md section 9.1, last item).

The clusters are ``LocalCluster``s with in-process workers, so that stopping the single-user server stops them too.
Their dashboard link is the coffea-casa one, ``{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status`` (section 9.1).
"""

import json
import uuid

import dask.config
from dask.utils import format_bytes
from distributed import LocalCluster
from notebook.base.handlers import APIHandler, IPythonHandler
from notebook.utils import url_path_join
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

# What each worker of a simulated cluster declares; small, since a test machine has two cores.
WORKER_THREADS = 1
WORKER_MEMORY = "512MiB"


class Clusters:
    """The clusters of one server, by id, in the order they were started."""

    def __init__(self):
        self.clusters = {}
        self.names = {}
        self.adaptive = {}
        self.started = 0

    async def start(self):
        cluster = await LocalCluster(
            n_workers=1,
            threads_per_worker=WORKER_THREADS,
            memory_limit=WORKER_MEMORY,
            processes=False,
            # In-process workers default to the inproc:// transport, which a notebook in another process cannot reach.
            protocol="tcp://",
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            asynchronous=True,
        )
        self.started += 1
        cluster_id = str(uuid.uuid4())
        self.clusters[cluster_id] = cluster
        # manager.py names a cluster after its class and a running count.
        self.names[cluster_id] = f"{type(cluster).__name__} {self.started}"
        return self.model(cluster_id)

    def model(self, cluster_id):
        """The fields of manager.py make_cluster_model, computed from the scheduler's view of its workers."""
        cluster = self.clusters[cluster_id]
        workers = cluster.scheduler_info.get("workers", {})
        model = {
            "id": cluster_id,
            "name": self.names[cluster_id],
            "scheduler_address": cluster.scheduler_address,
            "dashboard_link": cluster.dashboard_link or "",
            "workers": len(workers),
            "memory": format_bytes(sum(w["memory_limit"] for w in workers.values())),
            "cores": sum(w["nthreads"] for w in workers.values()),
        }
        adaptive = self.adaptive.get(cluster_id)
        if adaptive is not None:
            model["adapt"] = {"minimum": adaptive.minimum, "maximum": adaptive.maximum}
        return model

    async def scale(self, cluster_id, n):
        cluster = self.clusters[cluster_id]
        adaptive = self.adaptive.pop(cluster_id, None)
        if adaptive is not None:
            adaptive.stop()
        scaled = cluster.scale(n)
        if scaled is not None and hasattr(scaled, "__await__"):
            await scaled
        # As in manager.py, the model is the scheduler's view right after the request: new workers appear later.
        return self.model(cluster_id)

    def adapt(self, cluster_id, minimum, maximum):
        cluster = self.clusters[cluster_id]
        self.adaptive[cluster_id] = cluster.adapt(minimum=minimum, maximum=maximum)
        return self.model(cluster_id)

    async def close(self, cluster_id):
        cluster = self.clusters.pop(cluster_id, None)
        if cluster is None:
            return None
        model_name = self.names.pop(cluster_id)
        adaptive = self.adaptive.pop(cluster_id, None)
        if adaptive is not None:
            adaptive.stop()
        await cluster.close()
        return model_name


def clusters_of(handler):
    return handler.settings["sim_dask_clusters"]


class ClusterHandler(APIHandler):
    """The routes of dask_labextension/clusterhandler.py, with its status codes and error texts."""

    @web.authenticated
    async def get(self, cluster_id=""):
        clusters = clusters_of(self)
        if not cluster_id:
            self.finish(json.dumps([clusters.model(i) for i in clusters.clusters]))
            return
        if cluster_id not in clusters.clusters:
            raise web.HTTPError(404, f"Dask cluster {cluster_id} not found")
        self.finish(json.dumps(clusters.model(cluster_id)))

    @web.authenticated
    async def put(self, cluster_id=""):
        clusters = clusters_of(self)
        if cluster_id in clusters.clusters:
            raise web.HTTPError(403, f"A Dask cluster with ID {cluster_id} already exists!")
        try:
            model = await clusters.start()
        except Exception as error:
            raise web.HTTPError(500, str(error))
        self.set_status(200)
        self.finish(json.dumps(model))

    @web.authenticated
    async def patch(self, cluster_id=""):
        clusters = clusters_of(self)
        try:
            body = json.loads(self.request.body)
            if body.get("adapt") is not None:
                model = clusters.adapt(cluster_id, body["adapt"]["minimum"], body["adapt"]["maximum"])
            else:
                model = await clusters.scale(cluster_id, body["workers"])
        except Exception as error:
            # clusterhandler.py turns every failure, an unknown id included, into a 500 with the exception's text.
            raise web.HTTPError(500, str(error))
        self.finish(json.dumps(model))

    @web.authenticated
    async def delete(self, cluster_id=""):
        closed = await clusters_of(self).close(cluster_id)
        if closed is None:
            raise web.HTTPError(404, f"Dask cluster {cluster_id} not found")
        self.set_status(204)
        self.finish()


class ProxyHandler(IPythonHandler):
    """GET pass-through to a local port, as jupyter-server-proxy serves /proxy/<port>/<path>."""

    @web.authenticated
    async def get(self, port, path):
        url = f"http://127.0.0.1:{int(port)}/{path}"
        if self.request.query:
            url += "?" + self.request.query
        try:
            response = await AsyncHTTPClient().fetch(url, raise_error=False, request_timeout=30)
        except (OSError, HTTPClientError) as error:
            raise web.HTTPError(502, f"Could not connect to 127.0.0.1:{port}: {error}")
        self.set_status(response.code)
        content_type = response.headers.get("Content-Type")
        if content_type:
            self.set_header("Content-Type", content_type)
        self.finish(response.body or b"")


def _jupyter_server_extension_paths():
    return [{"module": "sim_dask_labextension"}]


def load_jupyter_server_extension(app):
    # coffea-casa's dask.yaml: the dashboard is reached through the server's own proxy route (section 9.1).
    dask.config.set({"distributed.dashboard.link": "{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status"})
    web_app = app.web_app
    web_app.settings["sim_dask_clusters"] = Clusters()
    base_url = web_app.settings["base_url"]
    cluster_id = r"(?P<cluster_id>[^/]+)"
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base_url, "dask/clusters/" + cluster_id), ClusterHandler),
            (url_path_join(base_url, "dask/clusters/?"), ClusterHandler),
            (url_path_join(base_url, r"proxy/(?P<port>\d+)/(?P<path>.*)"), ProxyHandler),
        ],
    )
