# SPDX-License-Identifier: Apache-2.0
"""Builds the covmerge Python package from a checkout of the repository.

    /usr/bin/python3 -m pip install --no-build-isolation ./bindings/python

The extension is the CMake target covmerge_python (bindings/python/
CMakeLists.txt), built from the repository root with the engine, so the
build needs only what ./build.sh installs (cmake, a C++20 compiler,
Debian's pybind11-dev, python3-dev, libabsl-dev, libmimalloc-dev,
libzstd-dev, zlib1g-dev, python3-setuptools, python3-wheel) and no network.
Debian 12's own Python is externally managed: install into a venv made with
--system-site-packages, or with --target DIR. Environment:

    COVMERGE_SOURCE_DIR       the repository root (default: ../.. from here)
    COVMERGE_CMAKE_BUILD_DIR  reuse this configured CMake build directory
                              (e.g. build/) instead of a fresh one
    CMAKE_BUILD_PARALLEL_LEVEL  compile jobs (default: the number of cores)
"""

import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.environ.get("COVMERGE_SOURCE_DIR") or os.path.join(HERE, "..", ".."))


def project_version():
    try:
        with open(os.path.join(SOURCE_DIR, "CMakeLists.txt")) as f:
            match = re.search(r"project\(covmerge\s+VERSION\s+([0-9.]+)", f.read())
    except OSError:
        match = None
    if not match:
        sys.exit(f"setup.py: {SOURCE_DIR} is not a covmerge checkout; set COVMERGE_SOURCE_DIR to one")
    return match.group(1)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    """Configures (once) and builds the covmerge_python target, then copies
    the extension where setuptools expects it."""

    def build_extension(self, ext):
        build_dir = os.environ.get("COVMERGE_CMAKE_BUILD_DIR") or os.path.join(os.path.abspath(self.build_temp), "cmake")
        if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            generator = ["-G", "Ninja"] if shutil.which("ninja") else []
            subprocess.check_call([
                "cmake", "-S", SOURCE_DIR, "-B", build_dir, *generator,
                "-DCMAKE_BUILD_TYPE=Release",
                "-DCOVMERGE_BUILD_TESTS=OFF",
                "-DCOVMERGE_BUILD_BENCH=OFF",
                "-DCOVMERGE_BUILD_PYTHON=ON",
                f"-DPython3_EXECUTABLE={sys.executable}",
            ])
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "covmerge_python", "-j", jobs])
        built = os.path.join(build_dir, "bindings", "python", "covmerge", os.path.basename(self.get_ext_filename(ext.name)))
        if not os.path.exists(built):
            sys.exit(f"setup.py: {built} was not built; is {build_dir} configured for {sys.executable}?")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built, target)


setup(
    name="covmerge",
    version=project_version(),
    description="Merges Go coverage profiles, byte for byte as gocovmerge, on all cores",
    license="Apache-2.0",
    python_requires=">=3.9",
    packages=["covmerge", "covmerge.distributed"],
    package_data={"covmerge": ["py.typed", "_covmerge.pyi"]},
    ext_modules=[CMakeExtension("covmerge._covmerge")],
    cmdclass={"build_ext": CMakeBuild},
    # `covmerge` on PATH: the same code as `python3 -m covmerge`.
    entry_points={"console_scripts": ["covmerge = covmerge.__main__:console_main"]},
    zip_safe=False,
)
