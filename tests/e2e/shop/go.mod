// SPDX-License-Identifier: Apache-2.0

module example.com/e2eshop

go 1.19
